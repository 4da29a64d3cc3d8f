"""Profile: who the respondent is (field, country); the groups of every breakdown."""

from surveybrief.inputs.question_kind import QuestionKind

KIND = QuestionKind("profile", profile=True, groups=True, order=5)
