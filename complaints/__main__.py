"""``python -m complaints`` is the ``complaints`` command."""
from complaints.cli import main

main()
