"""The data README's table of reconstructed bases must say what the code does."""

import re

from surveybrief.config import DATA_DIR
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.published import load_published
from surveybrief.inputs.wave import load_wave
from surveybrief.tools.reconstruct import plan_question


def test_readme_bases_match_the_reconstruction(data_root):
    text = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\w+) \| (\d+) \| (yes|no)", text, flags=re.M)
    documented = {q: (int(base), flag == "yes") for q, base, flag in rows}
    codebook = load_codebook(data_root)
    publication = load_published(data_root, "2025-06", codebook)
    n = load_wave(data_root, "2025-06").n_stated
    plans = [plan_question(q, publication, n) for q in codebook.questions]
    actual = {p.question_id: (p.base, p.is_exact) for p in plans if p.counts}
    assert documented == actual


def test_stated_sample_is_the_largest_that_fits_sections_1_to_3(data_root):
    from surveybrief.analysis.granularity import joint_counts

    codebook = load_codebook(data_root)
    publication = load_published(data_root, "2025-06", codebook)
    early = [
        q for s in codebook.chapters[:3] for q in s.questions if publication.for_question(q.id)
    ]
    early = [q for q in early if q.id != "external_role"]  # its figures fit no n <= 50 together

    def fits(n):
        return all(
            joint_counts(
                [f.figure for f in publication.for_question(q.id)],
                n,
                is_single=q.type == "single",
                exhaustive=False,
            )
            is not None
            for q in early
        )

    assert fits(50)
    assert not any(fits(n) for n in range(51, 61))
