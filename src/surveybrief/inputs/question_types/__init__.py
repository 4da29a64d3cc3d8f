"""The question types a codebook may use, one module each (a registry).

Each module but ``question_kind`` defines one ``KIND``: what the type is (several answers or one, a
scale, free text, a respondent profile), which options it needs, and what the pipeline does with
it (tabulated, compared across waves, broken down by profile, offered in JupyterLab). The
layers ask a question's ``kind`` these traits instead of comparing type names, so a new type
starts as one module here.
"""
