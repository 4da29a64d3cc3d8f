"""Multiple choice: each respondent may pick several options (a 0/1 column per option)."""

from surveybrief.inputs.question_kind import QuestionKind

KIND = QuestionKind("multi", several=True, broken_down=True, headline=True, order=2)
