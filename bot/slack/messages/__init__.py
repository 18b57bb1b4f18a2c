"""Pure Block Kit builders: outcome in, message payload out. No I/O."""
