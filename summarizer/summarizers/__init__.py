"""Summarizers behind one interface (base.py): extractive, seq2seq and chat (torch or CTranslate2
behind the ChatEngine of chat_engine.py); factory.py's `load_summarizer` picks one."""
