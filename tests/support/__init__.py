"""Test doubles that speak real HTTP: a fake Slack Web API, Slack's request signer, the web process."""
