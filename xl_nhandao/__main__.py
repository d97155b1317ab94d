"""``python -m xl_nhandao`` — the same as the ``xl-nhandao`` command."""

import sys

from .cli import main

sys.exit(main())
