"""Pure domain logic: parsing, goals, pace, calendars. Standard library only; time is a parameter."""
