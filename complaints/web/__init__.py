"""Flask blueprints: thin views that parse input, call complaints.workflow and render."""
