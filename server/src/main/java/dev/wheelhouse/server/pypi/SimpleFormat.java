package dev.wheelhouse.server.pypi;

/** The representations of the simple API this server offers (PEP 503 HTML, PEP 691 JSON). */
public enum SimpleFormat {
  JSON_V1("application/vnd.pypi.simple.v1+json", "application/vnd.pypi.simple.v1+json", "json"),
  HTML_V1("application/vnd.pypi.simple.v1+html", "application/vnd.pypi.simple.v1+html", "html"),
  HTML("text/html", "text/html; charset=utf-8", "html");

  private final String mediaType;
  private final String contentType;
  private final String body;

  SimpleFormat(String mediaType, String contentType, String body) {
    this.mediaType = mediaType;
    this.contentType = contentType;
    this.body = body;
  }

  public String mediaType() {
    return mediaType;
  }

  public String contentType() {
    return contentType;
  }

  /** The body rendering this format uses: both HTML media types share one body. */
  public String body() {
    return body;
  }
}
