/**
 * Which files fit a target: PEP 425/600/656 tag priority for a target interpreter and platform, and
 * the best-file choice pip makes among an index page's files.
 */
package dev.wheelhouse.packaging.tags;
