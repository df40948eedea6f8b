"""Every model family the tool can run, in one table: what it does and how each stage treats it.

A family is a transformers architecture plus what this tool knows about it: the task it serves,
how a model folder is recognised (config.json `model_type`, and the tokenizer class where two
families share one model type), which transformers Auto class loads it, what a summarizer of
the family writes, whether float16 is safe, what the CTranslate2 engine needs, and which
tokenizer files a model folder of the family holds. Adding a family is one row in FAMILY_TABLE
plus, when no existing summarizer or translator class fits it, one class. Nothing here imports
torch or transformers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from summarizer.errors import ModelError

Task = Literal["translate", "summarize"]
TASKS: tuple[Task, ...] = ("translate", "summarize")

# What "any language its input already is" means for a summarizer that writes the language it
# reads (mT5-XLSum, the model-free extractive one): the pipeline feeds summarizers English
# translations or Indonesian originals only.
INPUT_LANGUAGES: tuple[str, ...] = ("en", "id")
SAME_AS_INPUT = "same"  # in a language list: the input language (see INPUT_LANGUAGES)

# The languages Qwen2.5's model card names ("over 29 languages, including Chinese, English,
# French, Spanish, Portuguese, German, Italian, Russian, Japanese, Korean, Vietnamese, Thai,
# Arabic, and more"), plus Indonesian, which the Qwen2 release lists among its South-East Asian
# languages and which this tool briefs in.
QWEN2_LANGUAGES: tuple[str, ...] = (
    "en", "zh", "fr", "es", "pt", "de", "it", "ru", "ja", "ko", "vi", "th", "ar", "id",
)  # fmt: skip


@dataclass(frozen=True)
class TranslationTokens:
    """How a multilingual translation model is told to read Indonesian and write English."""

    source_language: str  # the tokenizer's src_lang
    target_token: str  # the token forced as the first output (the target language)


@dataclass(frozen=True)
class Family:
    """One model family and everything the stages need to know about it."""

    name: str
    task: Task
    model_types: tuple[str, ...]  # config.json "model_type" values of this family
    # When several families share a model type: the tokenizer class prefix that picks this one
    # ("" = the family taken when no other prefix matches).
    tokenizer_class_prefix: str = ""
    auto_model: Literal["AutoModelForSeq2SeqLM", "AutoModelForCausalLM"] = "AutoModelForSeq2SeqLM"
    # What a summarizer of the family writes when no registry entry says more (a local model
    # folder); SAME_AS_INPUT = the language it reads; () for translation families.
    summary_languages: tuple[str, ...] = ()
    # The summarizer class that runs the family (summarizers/factory.py); None: not a summarizer.
    summarizer: Literal["chat", "seq2seq"] | None = None
    fp16_safe: bool = True
    # CTranslate2: can its converter take the family, and on which devices "--engine auto" takes it.
    ct2: bool = False
    ct2_auto_devices: tuple[str, ...] = ("cpu", "cuda")
    # "int8": on a CPU with bfloat16 matmuls, "--engine auto" runs the family on torch with int8
    # weights (summarizer.models.quantize) instead of CTranslate2, and "--dtype auto" means int8.
    torch_cpu_auto_dtype: str | None = None
    # The CTranslate2 converter expects the language tokens in the tokenizer's special tokens map.
    ct2_needs_language_tokens: bool = False
    # The CTranslate2 converter drops <pad> from the vocabulary, so it need not be suppressed.
    ct2_drops_pad: bool = False
    translation_tokens: TranslationTokens | None = None  # multilingual translators only
    # The tokenizer files a model folder of the family must hold: one of these sets, complete
    # (the store check looks for them before a run; without them transformers 5 can build an
    # empty tokenizer silently instead of failing).
    tokenizer_files: tuple[tuple[str, ...], ...] = (("tokenizer.json",),)

    @property
    def english_only(self) -> bool:
        """True for a summarizer that can write nothing but English."""
        return self.summary_languages == ("en",)


FAMILY_TABLE: dict[str, Family] = {
    family.name: family
    for family in (
        Family(
            "marian",
            "translate",
            ("marian",),
            ct2=True,
            ct2_drops_pad=True,
            tokenizer_files=(("source.spm", "target.spm", "vocab.json"),),
        ),
        Family(
            "nllb",
            "translate",
            ("m2m_100",),
            tokenizer_class_prefix="Nllb",
            ct2=True,
            translation_tokens=TranslationTokens("ind_Latn", "eng_Latn"),
            tokenizer_files=(("tokenizer.json",), ("sentencepiece.bpe.model",)),
        ),
        Family(
            "m2m100",
            "translate",
            ("m2m_100",),
            ct2=True,
            ct2_needs_language_tokens=True,
            translation_tokens=TranslationTokens("id", "__en__"),
            tokenizer_files=(("sentencepiece.bpe.model", "vocab.json"),),
        ),
        Family(
            "qwen2",
            "summarize",
            ("qwen2",),
            auto_model="AutoModelForCausalLM",
            summary_languages=QWEN2_LANGUAGES,
            summarizer="chat",
            ct2=True,
            # On a GPU torch runs chat models well. On a CPU with bfloat16 matmuls torch with
            # int8 weights decodes all of a folder's summaries in one left-padded batch, which
            # CTranslate2 cannot do for prompts of unequal length; elsewhere CTranslate2 int8.
            ct2_auto_devices=("cpu",),
            torch_cpu_auto_dtype="int8",
            tokenizer_files=(("tokenizer.json",), ("vocab.json", "merges.txt")),
        ),
        # T5/mT5 overflow to NaN in float16 (transformers#10956, CTranslate2#1074).
        Family(
            "mt5",
            "summarize",
            ("mt5", "t5"),
            summary_languages=(SAME_AS_INPUT,),
            summarizer="seq2seq",
            fp16_safe=False,
            tokenizer_files=(("tokenizer.json",), ("spiece.model",)),
        ),
        Family(
            "bart",
            "summarize",
            ("bart",),
            summary_languages=("en",),
            summarizer="seq2seq",
            tokenizer_files=(("tokenizer.json",), ("vocab.json", "merges.txt")),
        ),
    )
}
FAMILIES: tuple[str, ...] = tuple(FAMILY_TABLE)


def get_family(name: str) -> Family:
    """The family called `name`; ModelError naming the known ones otherwise."""
    try:
        return FAMILY_TABLE[name]
    except KeyError:
        raise ModelError(f"unknown model family '{name}'; known families: {', '.join(FAMILIES)}") from None


def family_for_model_type(model_type: str, tokenizer_class: str = "") -> Family | None:
    """The family of a model whose config says `model_type` (None when no family has it).

    Families sharing a model type (NLLB and M2M100 are both "m2m_100") are told apart by the
    tokenizer class.
    """
    candidates = [f for f in FAMILY_TABLE.values() if model_type in f.model_types]
    for family in candidates:
        if family.tokenizer_class_prefix and tokenizer_class.startswith(family.tokenizer_class_prefix):
            return family
    fallback = [f for f in candidates if not f.tokenizer_class_prefix]
    return fallback[0] if fallback else None


def known_model_types() -> list[str]:
    """Every config.json model_type some family has, sorted (for error messages)."""
    return sorted({model_type for family in FAMILY_TABLE.values() for model_type in family.model_types})


def expand_languages(languages: tuple[str, ...]) -> tuple[str, ...]:
    """`languages` with SAME_AS_INPUT replaced by the input languages, duplicates dropped."""
    expanded: list[str] = []
    for language in languages:
        for code in INPUT_LANGUAGES if language == SAME_AS_INPUT else (language,):
            if code not in expanded:
                expanded.append(code)
    return tuple(expanded)
