"""Open text: free answers, coded into the themes of a code frame; no options."""

from surveybrief.inputs.question_kind import QuestionKind

KIND = QuestionKind("text", open_text=True, tabulated=False, trended=False, order=4)
