"""A wave's description (``data/raw/<wave>/wave.yaml``): the disclosure facts and its export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from surveybrief.config import WAVE_FILE, WAVE_ID_PATTERN, list_waves, raw_dir, raw_root
from surveybrief.exceptions import InputError
from surveybrief.inputs.export_spec import (
    DUPLICATE_POLICIES,
    EXPORT_FORMATS,
    ExportSpec,
    Mapping,
    RowFilter,
    one_of,
    parse_export_spec,
    parse_mapping,
)
from surveybrief.inputs.yamlio import check_keys, load_yaml, require

#: Every key a wave.yaml may hold, by entry (the README's "wave.yaml reference" explains each).
WAVE_KEYS = frozenset(
    [
        "wave",
        "title",
        "sponsor",
        "fieldwork",
        "population",
        "sample",
        "mode",
        "weighting",
        "codebook_version",
        "is_reconstructed",
        "is_synthetic",
        "reconstruction",
        "limitations",
        "max_invalid_share",
        "export",
        "mapping",
        "quotes",
        "languages",
        "checklist",
        "panel",
        "round",
        "delphi",
    ]
)
PANEL_KEYS = frozenset({"link_by"})
FIELDWORK_KEYS = frozenset({"start", "end"})
SAMPLE_KEYS = frozenset({"description", "n_stated", "method"})
RECONSTRUCTION_KEYS = frozenset({"source", "seed", "method"})
QUOTE_KEYS = frozenset({"allowed", "consent_question", "consent_code", "per_theme", "max_chars"})


@dataclass(frozen=True)
class QuotePolicy:
    """Whether and how the briefing may quote open answers (wave.yaml ``quotes``).

    Off unless the wave says respondents were told their words may be quoted anonymously;
    ``consent_question`` names a codebook question whose ``consent_code`` answer allows it
    per respondent.
    """

    allowed: bool = False
    consent_question: str | None = None
    consent_code: str = "yes"
    per_theme: int = 2
    max_chars: int = 220
    #: Whether wave.yaml says ``allowed`` at all (off by default is a decision nobody took).
    declared: bool = False


__all__ = [
    "DUPLICATE_POLICIES",
    "EXPORT_FORMATS",
    "ExportSpec",
    "Mapping",
    "RowFilter",
    "Wave",
    "load_wave",
]


@dataclass(frozen=True)
class Wave:
    """Metadata of one survey wave, as the methodology box discloses it."""

    id: str
    title: str
    sponsor: str
    fieldwork_start: dt.date
    fieldwork_end: dt.date
    population: str
    sample_description: str
    n_stated: int
    sampling: str
    mode: str
    weighting: str
    codebook_version: int
    is_reconstructed: bool
    is_synthetic: bool
    export: ExportSpec
    mapping: Mapping
    reconstruction: dict
    limitations: tuple[str, ...]
    max_invalid_share: float
    path: Path
    quotes: QuotePolicy = QuotePolicy()
    #: The briefing's languages when the command names none (the first is the default).
    languages: tuple[str, ...] = ("en",)
    #: Translations of the texts above, by field and language (wave.yaml: ``{en: .., ru: ..}``).
    translations: dict = field(default_factory=dict)
    #: Disclosure facts wave.yaml does not give, shown with their default (weighting, sampling).
    defaulted: tuple[str, ...] = ()
    #: Analyst checklist items closed by a person, by item id, with the reason they gave.
    signed_off: dict = field(default_factory=dict)
    #: The export's column that links an expert across waves (``panel.link_by``), if any.
    panel_link: str | None = None
    #: A Delphi round (``delphi: true``, ``round: N``): its panel gets feedback sheets.
    delphi: bool = False
    round: int | None = None

    def text(self, name: str, lang: str = "en") -> str:
        """Return a disclosure text (title, sponsor, population, ...) in ``lang``."""
        return self.translations.get(name, {}).get(lang) or getattr(self, name)

    def limitations_in(self, lang: str = "en") -> tuple[str, ...]:
        """Return the limitations in ``lang``."""
        return self.translations.get("limitations", {}).get(lang) or self.limitations

    @property
    def raw_dir(self) -> Path:
        """Return the immutable folder holding the export and this file."""
        return self.path.parent

    @property
    def export_path(self) -> Path:
        """Return the export file's path."""
        return self.raw_dir / self.export.file

    @property
    def fieldwork_text(self) -> str:
        """Return the fieldwork dates as a reader expects them, e.g. '9–16 June 2025'."""
        s, e = self.fieldwork_start, self.fieldwork_end
        if (s.year, s.month) == (e.year, e.month):
            return f"{s.day}–{e.day} {e:%B %Y}"
        if s.year == e.year:
            return f"{s.day} {s:%B} – {e.day} {e:%B %Y}"
        return f"{s.day} {s:%B %Y} – {e.day} {e:%B %Y}"


#: Texts a wave.yaml may give in several languages, as ``{en: ..., ru: ..., kk: ...}``.
TRANSLATABLE = ("title", "sponsor", "population", "mode", "weighting")


def _texts(value, *, file: Path, key: str) -> tuple[str, dict[str, str]]:
    """Return a text's English and its translations (a plain string is English only)."""
    if not isinstance(value, dict):
        return str(value), {}
    if not str(value.get("en", "")).strip():
        raise InputError(f"{key} needs an English text", file=file, column=f"{key}.en", value=value)
    return str(value["en"]), {str(k): str(v) for k, v in value.items() if k != "en"}


def _translated(doc: dict, path: Path) -> tuple[dict, dict]:
    """Return the translatable texts in English, and their translations by field."""
    english, translations = {}, {}
    defaults = {"weighting": "not stated"}  # a guess would be "none": a checklist item
    for key in TRANSLATABLE:
        raw = doc.get(key, defaults.get(key))
        raw = require(doc, key, file=path, where="wave.yaml") if raw is None else raw
        english[key], translations[key] = _texts(raw, file=path, key=key)
    sample = doc.get("sample") or {}
    for key, name in (("description", "sample_description"), ("method", "sampling")):
        if key in sample:
            english[name], translations[name] = _texts(sample[key], file=path, key=f"sample.{key}")
    limits = [_texts(x, file=path, key="limitations") for x in doc.get("limitations") or ()]
    english["limitations"] = tuple(en for en, _ in limits)
    langs = {lang for _, t in limits for lang in t}
    translations["limitations"] = {
        lang: tuple(t.get(lang) or en for en, t in limits) for lang in langs
    }
    return english, translations


def _date(value, *, file: Path, key: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise InputError(
            f"fieldwork {key} is not a date", file=file, value=value, expected="YYYY-MM-DD"
        ) from exc


def _wave_file(data_root: Path, wave_id: str) -> tuple[Path, dict]:
    """Return the path and content of a wave's wave.yaml; refuse ids and folders that leave."""
    if not WAVE_ID_PATTERN.match(wave_id):
        raise InputError("invalid wave id", value=wave_id, expected="YYYY-MM, e.g. 2025-06")
    folder = raw_dir(data_root, wave_id)
    inside = raw_root(data_root).resolve()
    if folder.exists() and not folder.resolve().is_relative_to(inside):
        raise InputError(
            "wave folder is a link that leaves the data root",
            file=folder,
            expected=f"a folder inside {inside}",
        )
    path = folder / WAVE_FILE
    doc = load_yaml(path)
    if not isinstance(doc, dict):
        raise InputError("wave.yaml is not a mapping", file=path)
    check_keys(doc, WAVE_KEYS, file=path, where="wave.yaml")
    check_keys(
        doc.get("reconstruction") or {}, RECONSTRUCTION_KEYS, file=path, where="reconstruction"
    )
    declared = str(require(doc, "wave", file=path, where="wave.yaml"))
    if declared != wave_id:
        raise InputError(
            "wave id in wave.yaml differs from its folder",
            file=path,
            value=declared,
            expected=wave_id,
        )
    return path, doc


def _export(doc: dict, path: Path) -> ExportSpec:
    export = require(doc, "export", file=path, where="wave.yaml", kind=dict)
    default_format = Path(str(export.get("file", ""))).suffix.lstrip(".").lower() or "csv"
    fmt = one_of(
        export.get("format", default_format), EXPORT_FORMATS, file=path, column="export.format"
    )
    return parse_export_spec(export, fmt, path)


def _sample(doc: dict, path: Path) -> dict:
    """Return the checked sample facts and the fieldwork dates."""
    fieldwork = require(doc, "fieldwork", file=path, where="wave.yaml", kind=dict)
    sample = require(doc, "sample", file=path, where="wave.yaml", kind=dict)
    check_keys(fieldwork, FIELDWORK_KEYS, file=path, where="fieldwork")
    check_keys(sample, SAMPLE_KEYS, file=path, where="sample")
    n_stated = require(sample, "n_stated", file=path, where="sample", kind=int)
    if n_stated <= 0:
        raise InputError("sample.n_stated must be positive", file=path, value=n_stated)
    start = require(fieldwork, "start", file=path, where="fieldwork")
    end = require(fieldwork, "end", file=path, where="fieldwork")
    return {
        "fieldwork_start": _date(start, file=path, key="start"),
        "fieldwork_end": _date(end, file=path, key="end"),
        "sample_description": str(require(sample, "description", file=path, where="sample")),
        "n_stated": n_stated,
        "sampling": str(sample.get("method", "not stated")),
    }


def load_wave(data_root: Path, wave_id: str) -> Wave:
    """Load and check ``raw/<wave_id>/wave.yaml`` under ``data_root``."""
    path, doc = _wave_file(data_root, wave_id)
    max_invalid = float(doc.get("max_invalid_share", 0.1))
    if not 0 <= max_invalid <= 1:
        raise InputError("max_invalid_share must be in [0, 1]", file=path, value=max_invalid)
    english, translations = _translated(doc, path)
    sample = _sample(doc, path)
    sample.update({k: english.pop(k) for k in ("sample_description", "sampling") if k in english})
    return Wave(
        id=wave_id,
        **english,
        **sample,
        codebook_version=int(require(doc, "codebook_version", file=path, where="wave.yaml")),
        is_reconstructed=bool(doc.get("is_reconstructed", False)),
        is_synthetic=bool(doc.get("is_synthetic", False)),
        export=_export(doc, path),
        mapping=parse_mapping(doc.get("mapping") or {}, path),
        reconstruction=dict(doc.get("reconstruction") or {}),
        max_invalid_share=max_invalid,
        path=path,
        quotes=_quotes(doc, path),
        languages=tuple(str(x) for x in doc.get("languages") or ("en",)),
        translations=translations,
        defaulted=_defaulted(doc),
        signed_off=_signed_off(doc, path),
        panel_link=_panel_link(doc, path),
        **_delphi(doc, path),
    )


def _delphi(doc: dict, path: Path) -> dict:
    """Return ``delphi`` and ``round``: a Delphi round is a wave of a linked panel, numbered."""
    delphi, number = doc.get("delphi", False), doc.get("round")
    if not isinstance(delphi, bool):
        raise InputError("delphi must be true or false", file=path, column="delphi", value=delphi)
    if number is not None and (
        isinstance(number, bool) or not isinstance(number, int) or number < 1
    ):
        raise InputError(
            "round must be a whole number from 1", file=path, column="round", value=number
        )
    if delphi and (number is None or not doc.get("panel")):
        raise InputError(
            "a Delphi wave needs its round (round: N) and a linked panel (panel: {link_by: ...}), "
            "so that each expert's feedback sheet holds their own answers",
            file=path, column="delphi", value=True,
        )  # fmt: skip
    return {"delphi": delphi, "round": number}


def _panel_link(doc: dict, path: Path) -> str | None:
    """Return the column ``panel.link_by`` names (None: the wave links no panel)."""
    raw = doc.get("panel")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise InputError("panel must be a mapping", file=path, column="panel", value=raw)
    check_keys(raw, PANEL_KEYS, file=path, where="panel")
    link = raw.get("link_by")
    if not isinstance(link, str) or not link.strip():
        raise InputError(
            "panel.link_by must name the export's column that identifies an expert in every "
            "wave (an e-mail, a token, a contact id)",
            file=path, column="panel.link_by", value=link,
        )  # fmt: skip
    return link.strip()


def _defaulted(doc: dict) -> tuple[str, ...]:
    """Return the disclosure facts wave.yaml leaves to their defaults."""
    sample = doc.get("sample") if isinstance(doc.get("sample"), dict) else {}
    given = {"weighting": "weighting" in doc, "sampling": "method" in sample}
    return tuple(name for name, present in given.items() if not present)


def _signed_off(doc: dict, path: Path) -> dict[str, str]:
    """Return the checklist items a person closed (``checklist: {item: reason}``), checked."""
    raw = doc.get("checklist") or {}
    if not isinstance(raw, dict):
        raise InputError(
            "checklist must map item ids to the reason each is signed off",
            file=path, column="checklist", value=raw,
        )  # fmt: skip
    for item, reason in raw.items():
        if not isinstance(reason, str) or not reason.strip():
            raise InputError(
                "a signed-off checklist item needs its reason (who decided what, and why)",
                file=path, column=f"checklist.{item}", value=reason,
            )  # fmt: skip
    return {str(k): v.strip() for k, v in raw.items()}


def _quotes(doc: dict, path: Path) -> QuotePolicy:
    """Return the wave's quoting policy, checked."""
    raw = doc.get("quotes") or {}
    if not isinstance(raw, dict):
        raise InputError("quotes must be a mapping", file=path, column="quotes", value=raw)
    check_keys(raw, QUOTE_KEYS, file=path, where="quotes")
    per_theme, max_chars = raw.get("per_theme", 2), raw.get("max_chars", 220)
    if not isinstance(per_theme, int) or not 0 <= per_theme <= 5:
        raise InputError("quotes.per_theme must be 0-5", file=path, value=per_theme)
    if not isinstance(max_chars, int) or not 40 <= max_chars <= 600:
        raise InputError("quotes.max_chars must be 40-600", file=path, value=max_chars)
    consent = raw.get("consent_question")
    return QuotePolicy(
        allowed=bool(raw.get("allowed", False)),
        consent_question=None if consent is None else str(consent),
        consent_code=str(raw.get("consent_code", "yes")),
        per_theme=per_theme,
        max_chars=max_chars,
        declared="allowed" in raw,
    )


def links_panel(data_root: Path, wave_id: str) -> bool:
    """Return whether ``wave_id`` or a wave before it links its experts (``panel.link_by``).

    Read from wave.yaml alone, so a run that reuses everything need not load the cleaning.
    """
    waves = [w for w in list_waves(data_root) if w <= wave_id]
    return any(load_wave(data_root, w).panel_link for w in waves)
