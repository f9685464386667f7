"""Domain model, vocabularies, name normalisation, entity resolution and stores."""
