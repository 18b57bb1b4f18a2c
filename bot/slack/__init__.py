"""The Slack edge: listeners that ack and call a service, Block Kit builders, the one Web API client."""
