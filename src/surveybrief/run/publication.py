"""The publication check: before the documents are made, attack what the run is to publish.

Each table a wave publishes is read back as a reader gets it (``tables/*.csv``): the question's
own tables (every option's count), the "Who answered" tables (the group sizes shown), every
breakdown (percentages of shown bases are counts; blanks are hidden cells) and the trends. For
each breakdown a reader's integer program is solved over the union — the breakdown's shown cells
and bases, the question's own counts as its totals, the profile table's shown sizes — no group
of 1-4 respondents may be shown (small groups are shown only pooled, in one row whose size keeps
each pooled group's size open), and every hidden count of 1-4 must keep a range of at least
``MIN_RANGE`` (options the table leaves out are not cells of it). The trends may not show a
profile group its wave's "Who answered" table does not show. A panel's "who answered again"
tables (``analysis.attrition``) are attacked like breakdowns, over the earlier wave's groups and
sizes (what its own publication shows) and the counts ``panel.csv`` prints. Quotes attribute
every quote of a theme to its group, or none. One quantity has one value: a group's size in "Who
answered" and the trends, the commenters of an open question in its themes and the clean report.
The true counts come from the processed wave; what the tables print must equal them. Any failure
stops the run naming the table and the cell: nothing is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from surveybrief.analysis.attrition import (
    LEFT,
    STATUS,
    STAYED,
    TABLE_PREFIX,
    pooled_later,
    with_status,
)
from surveybrief.analysis.breakdowns import breakdown_counts
from surveybrief.analysis.disclosure import (
    MIN_RANGE,
    MISSING,
    feasible_ranges,
    replayed_sizes,
    sensitive_rows,
)
from surveybrief.analysis.profile import (
    NOT_ANSWERED,
    NOT_ANSWERED_LABEL,
    POOLED,
    group_sizes,
    grouping,
    pinned_groups,
    profile_hidden,
    profile_table,
)
from surveybrief.clean.processed import load_cleaned_wave
from surveybrief.config import list_waves, tables_dir
from surveybrief.exceptions import PublicationError
from surveybrief.inputs.codebook import Codebook, Question


def _read(path: Path, **kwargs) -> pd.DataFrame:
    """Return a published CSV as a reader reads it: only an empty cell is missing ("NA": a code)."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""], **kwargs)


#: The label of a breakdown's overall row, as ``breakdown_frame`` writes it.
ALL_LABEL = "All respondents"


@dataclass
class Report:
    """What the check looked at, and what it found (an empty ``problems`` passes)."""

    tables: int = 0
    hidden_cells: int = 0
    problems: list[str] = field(default_factory=list)


def _codes(question: Question) -> dict[str, str]:
    """Return every label (any language) and code of a question's options -> code."""
    found = {o.code: o.code for o in question.options}
    found.update({label: o.code for o in question.options for label in o.labels.values()})
    return found


def _published_breakdown(path: Path, q: Question, profile: Question, source: Question):
    """Return a breakdown CSV as counts (NA where hidden), bases (NA where hidden), options.

    Rows are read under ``profile``'s codes (the pooled row's too) or ``source``'s (a group
    that should have been pooled).
    """
    table = _read(path, dtype={"group": "string"})
    known = _codes(source) | _codes(profile) | {ALL_LABEL: "all", NOT_ANSWERED_LABEL: NOT_ANSWERED}
    rows = [known.get(g, g) for g in table["group"]]  # an unknown label stays itself: a problem
    options = _codes(q)
    shown = [c for c in table.columns if c not in ("group", "base")]
    codes = [options.get(c, c) for c in shown]
    bases = pd.Series(dict(zip(rows, table["base"], strict=True)))
    pct = table[shown].set_axis(codes, axis=1).set_axis(rows)
    counts = (pct.mul(bases, axis=0) / 100).round()
    return counts, bases, codes


def _check_breakdown(path: Path, q: Question, profile: Question, wave, report: Report) -> None:
    """Attack one breakdown over the union of what the wave publishes; record what it finds."""
    own = _read(tables_dir(path.parents[1]) / f"{q.id}.csv", dtype={"option": "string"})
    totals = own.set_index("option")["count"].dropna().astype(int).to_dict()
    known = _shown_sizes(path, profile)
    _attack_breakdown(path, (q, profile), wave.responses, (f"{q.id}.csv", totals), known, report)


def _attack_breakdown(
    path: Path, questions: tuple, responses, totals: tuple, known: dict, report: Report
) -> None:
    """Attack a breakdown of ``responses``: what it prints, against its totals and known sizes.

    ``questions``: (the question, the profile[, groups pooled by another wave's tables of the
    same people]); ``totals``: (where the reader reads each
    option's total, {option: count}); ``known``: the group sizes the reader knows.
    """
    q, profile, *always = questions  # and the groups another wave pools, if any
    as_shown = grouping(responses, profile, *always)  # small groups pooled, as tables show them
    groups = as_shown.groups(responses)
    truth, true_bases = breakdown_counts(responses, q, as_shown.profile, groups)
    counts, bases, shown = _published_breakdown(path, q, as_shown.profile, as_shown.source)
    report.problems += [
        f"{totals[0]}: option {code} differs from the data"
        for code in truth.columns
        if code in totals[1] and totals[1][code] != truth.at["all", code]
    ]
    shown = _check_shape(path, q, truth, counts, shown, report)
    hidden = _as_published(counts, truth, shown, path.name, report)
    hidden_bases = {g for g in truth.index if g != "all" and pd.isna(bases.get(g))}
    sizes = groups.value_counts()  # a group's members, whether they answered this question or not
    report.problems += [
        f"{path.name}: group {g} is shown, with {sizes[g]} members (fewer than {MIN_RANGE})"
        for g in truth.index
        if g not in hidden_bases and 0 < sizes.get(g, 0) < MIN_RANGE
    ]
    small = {
        (g, c)
        for g in truth.index
        for c in shown
        if g != "all" and hidden.at[g, c] and 0 < truth.at[g, c] < MIN_RANGE
    }
    small |= {(g, "base") for g in hidden_bases if 0 < true_bases[g] < MIN_RANGE}
    missing = sensitive_rows(truth, true_bases, hidden_bases).get(MISSING)
    if missing is not None and 0 < groups.isna().sum() < MIN_RANGE:  # 1-4 gave no profile
        small |= {(MISSING, c) for c in shown if 0 < missing[c] < MIN_RANGE}
    table = (truth, true_bases, hidden, hidden_bases, not q.kind.several)
    _attack(path, known, table, small, report)


def _check_attrition(out: Path, data_root: Path, wave_id: str, report: Report) -> None:
    """Attack each "who answered again" table over what the two waves publish.

    Its rows are the earlier wave's groups, so the reader knows that wave's "Who answered"
    sizes; its totals (answered again, did not) are printed in ``panel.csv``.
    """
    paths = sorted(tables_dir(out).glob(f"{TABLE_PREFIX}*.csv"))
    if not paths:
        return
    flow = _read(tables_dir(out) / "panel.csv", dtype={"wave_from": "string"}).iloc[0]
    before = load_cleaned_wave(data_root, out, str(flow["wave_from"]))
    after = load_cleaned_wave(data_root, out, wave_id)
    responses = with_status(before, after)
    totals = ("panel.csv", {STAYED: int(flow["both"]), LEFT: int(flow["left"])})
    for path in paths:
        profile = before.codebook.question(path.stem.removeprefix(TABLE_PREFIX))
        table = profile_table(before.responses, profile)  # as the earlier wave published it
        known = {str(r.option): int(r.count) for r in table.dropna(subset=["count"]).itertuples()}
        if NOT_ANSWERED in known:
            known[MISSING] = known.pop(NOT_ANSWERED)
        questions = (STATUS, profile, pooled_later(after, profile))
        _attack_breakdown(path, questions, responses, totals, known, report)


def _check_shape(path: Path, q: Question, truth, counts, shown: list, report: Report) -> list:
    """Record rows and columns a breakdown may not have; return the columns it may."""
    report.problems += [
        f"{path.name}: row {g} is not a group this table may show (shown only pooled, or unknown)"
        for g in counts.index
        if g not in truth.index
    ]
    report.problems += [
        f"{path.name}: column {c} is not an option of {q.id}"
        for c in shown
        if c not in truth.columns
    ]
    return [c for c in shown if c in truth.columns]


def _attack(path: Path, profile_sizes: dict, table: tuple, small: set, report: Report) -> None:
    """Solve the reader's integer program for the hidden counts of 1-4; record each pinned."""
    ranges = feasible_ranges(*table, profile_sizes, small)
    report.tables += 1
    report.hidden_cells += len(small)
    report.problems += [
        f"{path.name}: the hidden count of group {g}, {c}, is recoverable from what the wave "
        f"publishes (between {low} and {high})"
        for (g, c), (_, low, high) in ranges.items()
        if high - low < MIN_RANGE
    ]


def _as_published(counts, truth, shown, name: str, report: Report) -> pd.DataFrame:
    """Return which cells the table hides; record a printed count unlike the data."""
    hidden = pd.DataFrame(True, index=truth.index, columns=truth.columns)
    for g in (g for g in counts.index if g in truth.index):  # others: shown when not to be
        for c in (c for c in shown if pd.notna(counts.at[g, c])):
            hidden.at[g, c] = False
            if int(counts.at[g, c]) != truth.at[g, c]:
                report.problems.append(f"{name}: {g} / {c} differs from the data")
    hidden.loc["all"] = False
    return hidden


def _shown_sizes(path: Path, profile: Question) -> dict[str, int]:
    """Return the group sizes the profile table shows (the reader knows them)."""
    table = _read(
        tables_dir(path.parents[1]) / f"profile_{profile.id}.csv", dtype={"option": "string"}
    )
    shown = table[table["count"].notna()]  # a count printed is known, whatever its flags say
    sizes = {str(r.option): int(r.count) for r in shown.itertuples()}
    if NOT_ANSWERED in sizes:
        sizes[MISSING] = sizes.pop(NOT_ANSWERED)
    return sizes


def _check_profiles(out: Path, wave, report: Report) -> None:
    """Record a "Who answered" table that shows a group of 1-4, or lets a reader narrow one.

    A pooled group may hold anything from 1 to the pooled row's count less one per other
    pooled group: that range must span ``MIN_RANGE``. The pooled row must count its groups, and
    a reader who knows the pooling rule must not be able to tell a pooled group's size.
    """
    for q in (q for q in wave.codebook.questions if q.kind.profile):
        path = tables_dir(out) / f"profile_{q.id}.csv"
        if not path.is_file():
            continue
        table = _read(path, dtype={"option": "string"}).set_index("option")
        shown = table["count"].dropna()
        report.problems += [
            f"{path.name}: group {g} is shown with {n:.0f} respondents (fewer than {MIN_RANGE})"
            for g, n in shown.items()
            if 0 < n < MIN_RANGE
        ]
        _check_pool(path, table, grouping(wave.responses, q), wave.responses, report)


def _check_pool(path: Path, table: pd.DataFrame, found, responses, report: Report) -> None:
    """Record a pooled or hidden group printed with a count, or a pooled row that is wrong."""
    shown = table["count"].dropna()
    report.problems += [
        f"{path.name}: group {g}, shown only pooled or not at all, is printed with {n:.0f}"
        for g, n in shown.items()
        if g in found.not_shown
    ]
    members = {str(g) for g in table.index[table["is_pooled"].astype(bool)]}
    if members != set(found.pooled):
        report.problems.append(f"{path.name}: pools {sorted(members)}, not {list(found.pooled)}")
    if members and pd.notna(shown.get(POOLED)):
        pool, truth = int(shown[POOLED]), int(found.groups(responses).eq(POOLED).sum())
        if pool != truth or pool - len(members) < MIN_RANGE:
            report.problems.append(
                f"{path.name}: the pooled row shows {pool} of {truth} respondents in "
                f"{len(members)} groups, so a pooled group's size is not kept open"
            )
    _check_replay(path, group_sizes(responses, found.source), members, report)


def _check_replay(path: Path, sizes: dict[str, int], members: set, report: Report) -> None:
    """Record a pooled group of 1-4 whose size a reader replaying the pooling rule can tell.

    The reader tries every split of the pooled total over the named groups and keeps those the
    rule pools as published (``disclosure.replayed_sizes``); with too many splits to try, one
    granted which groups are the small ones judges (``profile.pinned_groups``).
    """
    if not members:
        return
    seen = replayed_sizes(sizes, members)
    if seen is None:
        told = pinned_groups(sizes, members)
    else:
        told = [g for g, values in seen.items() if sizes[g] < MIN_RANGE and len(values) == 1]
    report.problems += [
        f"{path.name}: a reader who knows the pooling rule can tell that group {g} has "
        f"exactly {sizes[g]} respondents"
        for g in told
    ]


def _check_trends(out: Path, data_root: Path, wave_id: str, codebook: Codebook, report) -> None:
    """Record a profile group the trends show where its wave's "Who answered" table hides it."""
    path = tables_dir(out) / "trends.csv"
    if not path.is_file():
        return
    trends = _read(path, dtype={"wave": "string", "option": "string"})
    for q in (q for q in codebook.questions if q.kind.profile):
        rows = trends[trends["question_id"] == q.id]
        for wave in sorted(set(rows["wave"])):
            if wave not in list_waves(data_root):
                continue
            hidden = profile_hidden(load_cleaned_wave(data_root, out, wave).responses, q)
            shown = set(rows.loc[rows["wave"] == wave, "option"]) & hidden
            report.problems += [
                f"trends.csv: {q.id} group {g} of wave {wave}, hidden in its own table"
                for g in sorted(shown)
            ]


def _check_quotes(out: Path, report: Report) -> None:
    """Record a theme whose quotes name some groups but not all (naming by elimination)."""
    for path in sorted(tables_dir(out).glob("*_quotes.csv")):
        quotes = _read(path, dtype="string")
        for theme, rows in quotes.groupby("theme"):
            named = rows["group"].fillna("").str.len() > 0
            if named.any() and not named.all():
                report.problems.append(f"{path.name}: theme {theme} names some groups, not all")


def _reconcile(out: Path, wave, report: Report) -> None:
    """Record a quantity printed with two values: a group's size, the commenters of a question.

    "Who answered" and the trends give a profile group's size in the wave; the clean report's
    comments and an open question's themes table, the commenters.
    """
    from surveybrief.clean.skips import comment_counts

    tables = tables_dir(out)
    trends = tables / "trends.csv"
    series = (
        _read(trends, dtype={"wave": "string", "option": "string"}) if trends.is_file() else None
    )
    for q in (q for q in wave.codebook.questions if q.kind.profile):
        path = tables / f"profile_{q.id}.csv"
        if series is None or not path.is_file():
            continue
        shown = _read(path, dtype={"option": "string"}).set_index("option")["count"].dropna()
        rows = series[(series["question_id"] == q.id) & (series["wave"] == wave.wave.id)]
        report.problems += [
            f"trends.csv: {q.id} group {row.option} counts {row.count} where {path.name} "
            f"shows {shown[row.option]:.0f}"
            for row in rows.itertuples()
            if row.option in shown.index and int(row.count) != int(shown[row.option])
        ]
    comments = comment_counts(wave.responses, wave.codebook)
    for qid, n in comments.items():
        path = tables / f"{qid}_themes.csv"
        base = _read(path)["base"].dropna() if path.is_file() else pd.Series()
        if len(base) and int(base.iloc[0]) != n:
            report.problems.append(f"{path.name}: {base.iloc[0]} commenters, not {n}")


def check_publication(out: Path, data_root: Path, wave_id: str) -> Report:
    """Attack everything the run is to publish for ``wave_id``; raise when anything is exposed."""
    wave = load_cleaned_wave(data_root, out, wave_id)
    report = Report()
    for path in sorted(tables_dir(out).glob("breakdown_*_by_*.csv")):
        qid, _, pid = path.stem.removeprefix("breakdown_").rpartition("_by_")
        q, profile = wave.codebook.question(qid), wave.codebook.question(pid)
        _check_breakdown(path, q, profile, wave, report)
    _check_profiles(out, wave, report)
    _check_attrition(out, data_root, wave_id, report)
    _check_trends(out, data_root, wave_id, wave.codebook, report)
    _check_quotes(out, report)
    _reconcile(out, wave, report)
    if report.problems:
        raise PublicationError(wave_id, report.problems)
    return report
