"""Use cases. Each owns its transaction, takes time from an injected clock, and knows nothing of Slack."""
