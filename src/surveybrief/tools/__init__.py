"""Tools: what developers and maintainers run beside the pipeline, never the pipeline itself.

The benchmark, the lock-file writer, the SYNTHETIC wave generator, the 2025-06 reconstruction
from published figures and ``make demo``. May import anything; nothing in the runtime layers
imports ``tools``.
"""
