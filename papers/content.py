"""The content of a paper, typed: one schema for the model, services, forms, diff and PDF.

``Draft.content`` and ``DraftVersion.content`` stay JSON in the database, in the shape
``to_json`` writes; every reader goes through :meth:`PaperContent.from_json` (``Draft.paper``),
which gives missing or malformed parts their defaults, so any draft stored so far stays readable.
The header (date, addressee, department) lives in the draft's own columns, not here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .sanitize import clean_html, plain_text

MAX_ITEMS = 100
MAX_ITEM_LENGTH = 2000
MAX_SIGNATORIES = 10

# A template section's block type names which part of the content it shows.
TEXT_BLOCKS = ("text", "summary")
PARTS = ("proposal", "basis", "dispatch", "signatories")


@dataclass(frozen=True)
class BasisItem:
    """One beslutsunderlag: a document of the case (its uuid) or free text."""

    text: str
    document: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> BasisItem | None:
        if isinstance(data, str):
            return cls(text=data)
        if not isinstance(data, Mapping):
            return None
        return cls(text=str(data.get("text") or ""), document=str(data["document"]) if data.get("document") else None)

    def to_json(self) -> dict[str, str | None]:
        return {"text": self.text, "document": self.document}


@dataclass(frozen=True)
class Signatory:
    name: str
    title: str = ""

    @classmethod
    def from_json(cls, data: Any) -> Signatory | None:
        if isinstance(data, str):
            return cls(name=data)
        if not isinstance(data, Mapping):
            return None
        return cls(name=str(data.get("name") or ""), title=str(data.get("title") or ""))

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "title": self.title}

    def __str__(self) -> str:
        return f"{self.name}, {self.title}" if self.title else self.name


def _strings(values: Any) -> list[str]:
    if not isinstance(values, list | tuple):
        return []
    return [str(v) for v in values if v is not None]


@dataclass(frozen=True)
class PaperContent:
    """Sections (HTML by template key), förslag till beslut, beslutsunderlag, expediering, underskrifter."""

    sections: dict[str, str] = field(default_factory=dict)
    proposal: list[str] = field(default_factory=list)
    basis: list[BasisItem] = field(default_factory=list)
    dispatch: list[str] = field(default_factory=list)
    signatories: list[Signatory] = field(default_factory=list)

    # --- reading and writing the stored JSON ------------------------------------------------------

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> PaperContent:
        """Read stored content; anything missing or of the wrong type gets its default."""
        data = data if isinstance(data, Mapping) else {}
        sections = data.get("sections")
        return cls(
            sections={str(k): str(v) for k, v in sections.items() if v is not None}
            if isinstance(sections, Mapping)
            else {},
            proposal=_strings(data.get("proposal")),
            basis=[b for b in map(BasisItem.from_json, _list(data.get("basis"))) if b is not None],
            dispatch=_strings(data.get("dispatch")),
            signatories=[s for s in map(Signatory.from_json, _list(data.get("signatories"))) if s is not None],
        )

    @classmethod
    def coerce(cls, value: PaperContent | Mapping[str, Any] | None) -> PaperContent:
        return value if isinstance(value, PaperContent) else cls.from_json(value)

    def to_json(self) -> dict[str, Any]:
        return {
            "sections": dict(self.sections),
            "proposal": list(self.proposal),
            "basis": [b.to_json() for b in self.basis],
            "dispatch": list(self.dispatch),
            "signatories": [s.to_json() for s in self.signatories],
        }

    # --- what the paper, the editor and the diff read ----------------------------------------------

    def section(self, key: str) -> str:
        return self.sections.get(key, "")

    def text_of(self, block_type: str, key: str = "") -> str:
        """One part as plain text, one item a line (what a comparison shows)."""
        if block_type in TEXT_BLOCKS:
            return plain_text(self.section(key))
        if block_type == "proposal":
            return "\n".join(f"{n}. {s}" for n, s in enumerate(self.proposal, start=1))
        if block_type == "basis":
            return "\n".join(item.text for item in self.basis)
        if block_type == "dispatch":
            return "\n".join(self.dispatch)
        return "\n".join(f"{s.name}, {s.title}" for s in self.signatories)

    def is_empty(self, block_type: str, key: str = "") -> bool:
        if block_type in TEXT_BLOCKS:
            return not plain_text(self.section(key))
        if block_type == "proposal":
            return not self.proposal
        if block_type == "basis":
            return not self.basis
        if block_type == "dispatch":
            return not self.dispatch
        return not self.signatories

    @property
    def chosen_documents(self) -> set[str]:
        return {item.document for item in self.basis if item.document}

    @property
    def basis_extra(self) -> list[str]:
        return [item.text for item in self.basis if not item.document]

    @property
    def signatories_text(self) -> str:
        return "\n".join(str(s) for s in self.signatories)

    # --- cleaning ----------------------------------------------------------------------------------

    def cleaned(self, section_keys: Iterable[str]) -> PaperContent:
        """Only the sections the template has, every piece of HTML sanitised, lists trimmed."""
        keys = set(section_keys)
        return PaperContent(
            sections={k: clean_html(v) for k, v in self.sections.items() if k in keys},
            proposal=_lines(self.proposal),
            basis=[
                BasisItem(text=text, document=item.document or None)
                for item in self.basis[:MAX_ITEMS]
                if (text := item.text.strip()[:MAX_ITEM_LENGTH])
            ],
            dispatch=_lines(self.dispatch),
            signatories=[
                Signatory(name=name, title=s.title.strip()[:120])
                for s in self.signatories[:MAX_SIGNATORIES]
                if (name := s.name.strip()[:120])
            ],
        )


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _lines(values: Iterable[str]) -> list[str]:
    items = [str(v).strip()[:MAX_ITEM_LENGTH] for v in values if str(v).strip()]
    return items[:MAX_ITEMS]
