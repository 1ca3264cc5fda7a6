"""Turning stored content into what readers get: sanitised HTML, pages' partials, payloads."""
