/**
 * Reading upstream simple-index project pages (PEP 503 HTML, PEP 691 JSON) into a model the proxy
 * can cache and re-serve. Pure parsing: fetching, caching and rendering live elsewhere.
 */
package dev.wheelhouse.server.proxy.upstream;
