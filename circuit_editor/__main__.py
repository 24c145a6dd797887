"""``python -m circuit_editor``: the same as the ``circuit-editor`` command."""

import sys

from .cli import main

sys.exit(main())
