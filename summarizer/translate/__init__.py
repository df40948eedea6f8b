"""Indonesian → English translation, sentence by sentence, with guards on every output.

base.py holds the `Translator` interface and what the engines share; hf.py (transformers) and
ct2.py (CTranslate2) are the engines; factory.py's `load_translator` picks one; articles.py
translates whole articles (cache, splitting of long sentences, guards from guards.py).
"""
