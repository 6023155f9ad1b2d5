"""The outcome questionnaire dialog (NDI, ODI) and whose questionnaire it records."""
