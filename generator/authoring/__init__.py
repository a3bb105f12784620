"""Writing incident files: `changes` holds what each authoring command does; the other modules
are its parts. Kept empty so that `candor check`, which needs only `git` and `templates`, does
not import the rest."""
