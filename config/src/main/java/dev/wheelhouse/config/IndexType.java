package dev.wheelhouse.config;

/** The kinds of package index; written in lowercase in YAML. */
public enum IndexType {
  /** Wheels uploaded by users or by the builder: the wheelhouse proper. */
  HOSTED,
  /** A pull-through cache of an upstream PEP 503/691 index. */
  PROXY,
  /** An ordered list of member indexes served as one. */
  GROUP
}
