"""Single choice: each respondent picks one of the options."""

from surveybrief.inputs.question_kind import QuestionKind

KIND = QuestionKind("single", broken_down=True, headline=True, groups=True, order=1)
