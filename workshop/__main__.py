"""`python -m workshop` runs the workshop command."""

from workshop.cli import main

raise SystemExit(main())
