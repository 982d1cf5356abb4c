"""The Rasa server's response generator (endpoints.yml ``nlg``): domain responses, plus safety lines."""
