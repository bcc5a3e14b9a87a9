package dev.wheelhouse.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the layered tree into a {@link WheelhouseConfig}, reporting every problem to {@link
 * Problems}. Where a value is wrong its default stands in, so the result is only meaningful when no
 * problem was reported.
 */
final class ConfigBinder {
  private ConfigBinder() {}

  static WheelhouseConfig bind(Node root) {
    Fields top = root.fields();
    HostPort listen = top.get("listen").as(HostPort::parse).orElse(WheelhouseConfig.DEFAULT_LISTEN);
    Path data = top.get("data").as(Scalars::path).orElse(WheelhouseConfig.DEFAULT_DATA);
    AuthConfig auth = AuthBinder.bind(top.get("auth"));
    IndexBinder.Result indexes = IndexBinder.bind(top.get("indexes"));
    IndexReferences references = new IndexReferences(indexes);
    references.checkGroups(root.problems());
    String defaultIndex = references.defaultIndex(top.get("default-index"));
    Fields uploadFields = top.get("upload").fields();
    UploadConfig upload =
        new UploadConfig(
            references.uploadIndex(uploadFields.get("index")),
            uploadFields
                .get("max-size")
                .as(Scalars::positiveSize)
                .orElse(UploadConfig.DEFAULT_MAX_SIZE));
    uploadFields.rejectUnknown();
    PagesConfig pages = pages(top.get("pages"));
    boolean offline = top.get("offline").as(Scalars::bool).orElse(false);
    AptConfig apt = apt(top.get("apt"));
    PruneConfig prune = prune(top.get("prune"), references);
    List<BuildRecipeConfig> builds = BuildBinder.bind(top.get("builds"));
    top.rejectUnknown();
    return new WheelhouseConfig(
        listen,
        data,
        auth,
        indexes.entries().stream().map(IndexBinder.Entry::config).toList(),
        defaultIndex,
        upload,
        pages,
        offline,
        apt,
        prune,
        builds);
  }

  private static PagesConfig pages(Node node) {
    Fields pages = node.fields();
    Duration maxAge =
        pages.get("max-age").as(Durations::parse).orElse(PagesConfig.DEFAULT.maxAge());
    DataSize cacheSize =
        pages.get("cache-size").as(DataSize::parse).orElse(PagesConfig.DEFAULT.cacheSize());
    pages.rejectUnknown();
    return new PagesConfig(maxAge, cacheSize);
  }

  private static AptConfig apt(Node node) {
    Fields apt = node.fields();
    List<AptMirrorConfig> mirrors = new ArrayList<>();
    UniqueNames names = new UniqueNames("mirror name");
    for (Node item : apt.get("mirrors").items()) {
      Fields mirror = item.fields();
      Node nameNode = mirror.get("name");
      Optional<String> name = nameNode.required(Scalars::name);
      name.ifPresent(n -> names.claim(n, nameNode, item.path()));
      Optional<URI> url = mirror.get("url").required(Scalars::baseUrl);
      Duration ttl = mirror.get("ttl").as(Durations::parse).orElse(AptMirrorConfig.DEFAULT_TTL);
      mirror.rejectUnknown();
      if (name.isPresent() && url.isPresent()) {
        mirrors.add(new AptMirrorConfig(name.get(), url.get(), ttl));
      }
    }
    apt.rejectUnknown();
    return new AptConfig(mirrors);
  }

  private static PruneConfig prune(Node node, IndexReferences references) {
    Fields prune = node.fields();
    Optional<DataSize> maxSize = prune.get("max-size").as(Scalars::positiveSize);
    Optional<Duration> maxAge = prune.get("max-age").as(Scalars::positiveDuration);
    Optional<DataSize> minFree = prune.get("min-free").as(Scalars::positiveSize);
    List<String> keep = prune.get("keep").list(Scalars::pattern);
    List<String> hosted = references.hostedIndexes(prune.get("hosted"));
    Optional<Duration> interval = prune.get("interval").as(Scalars::positiveDuration);
    prune.rejectUnknown();
    return new PruneConfig(maxSize, maxAge, minFree, keep, hosted, interval);
  }
}
