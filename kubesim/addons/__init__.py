"""Cluster add-ons a user turns on with one command, as ``minikube addons enable`` does."""
