"""Rating: one point of an ordered scale, coded by integers (mean, median, top two)."""

from surveybrief.inputs.question_kind import QuestionKind

KIND = QuestionKind("rating", ordered=True, headline=True, groups=True, order=3)
