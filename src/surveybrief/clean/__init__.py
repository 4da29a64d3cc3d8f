"""Clean: a wave's export as received -> validated, typed, private processed data.

Owns the readers per export format (CSV, Excel, SPSS), the mapping of headers and answer labels
to the codebook, rows left out on purpose (tests, empty, duplicates), respondent privacy
(personal-data columns, pseudonyms, scrubbed open text), validation against a schema built from
the codebook, and the processed Parquet format that everything downstream reads. May import
``inputs`` and the shared modules (``config``, ``exceptions``, ``writers``).
"""
