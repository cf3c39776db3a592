"""Similar claims: by their words and their meaning (`ranking`), with the sentence vectors stored
with each claim (`embedding`) and an index of them held in the process (`index`)."""
