"""Japanese text handling: the SudachiPy tokenizer, normalisation and the phrase lexicon."""
