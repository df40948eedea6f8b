"""The `ChatEngine` interface: what `LlmSummarizer` needs of a chat model, whatever runs it.

Prompt token ids go in, greedy answers come out. Both engines build their prompts with the
model's own Hugging Face tokenizer and chat template (`TokenizerChat`), so a prompt is the same
token ids on either; torch (chat_torch.py) and CTranslate2 (chat_ct2.py) then decode them.
"""

from __future__ import annotations

from typing import Any, Protocol


class ChatEngine(Protocol):
    name: str  # the model's name, for summaries and notes
    revision: str | None
    engine: str  # "transformers" or "ctranslate2"
    max_input_tokens: int

    def chat_text(self, messages: list[dict[str, str]]) -> str:
        """The messages as the model's chat template writes them, ready for an answer."""
        ...

    def encode(self, text: str) -> list[int]:
        """The token ids of `text` (a chat-template text already holds its special tokens)."""
        ...

    def count_tokens(self, text: str) -> int: ...

    def generate(self, prompts: list[list[int]], new_tokens: int, *, exact: bool = False) -> list[str]:
        """Greedy answers, at most `new_tokens` each (exactly that many when `exact`)."""
        ...


class TokenizerChat:
    """The prompt side shared by both engines: the model's Hugging Face tokenizer."""

    tokenizer: Any

    def chat_text(self, messages: list[dict[str, str]]) -> str:
        return str(self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False))

    def encode(self, text: str) -> list[int]:
        return list(self.tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])

    def count_tokens(self, text: str) -> int:
        return len(self.encode(text))

    def decode(self, answers: Any) -> list[str]:
        """Answer token ids (lists, or a tensor of rows) as stripped texts."""
        return [text.strip() for text in self.tokenizer.batch_decode(answers, skip_special_tokens=True)]
