"""``python -m ormlette COMMAND``."""
import sys

from ormlette.cli import main

sys.exit(main())
