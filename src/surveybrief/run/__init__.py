"""Run: the declared pipeline executed. Plan, cache, workers with warm kernels, manifest.

Owns reading ``notebooks/pipeline.yaml``, deciding what runs and what is reused, executing
notebooks with papermill in warm kernels, rendering the briefing files into place together and
writing the manifest with its provenance. May import every runtime layer (``brief``,
``analysis``, ``clean``, ``inputs``) and the shared modules; nothing imports ``run`` but the
command line and ``tools``.
"""
