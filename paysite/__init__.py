"""The generator behind build.py: one module per stage, in the order the data flows.

errors, vocabulary, serialise -> yamlfile -> schemas -> model -> load -> claims -> text
-> pages -> svg -> charts -> render -> write -> pipeline -> serve, diff

Each module imports only modules before it (tests/test_layout.py checks this); ARCHITECTURE.md
draws the stages and says what each one does.
"""
