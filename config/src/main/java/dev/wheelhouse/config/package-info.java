/**
 * Typed wheelhouse configuration: immutable records with documented defaults, loaded from one YAML
 * file (kebab-case keys), the environment and command-line overrides, and validated once by {@link
 * dev.wheelhouse.config.ConfigLoader}. {@code wheelhouse.example.yaml} in this module is the
 * reference of every key.
 */
package dev.wheelhouse.config;
