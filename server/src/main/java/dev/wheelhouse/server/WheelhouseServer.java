package dev.wheelhouse.server;

import dev.wheelhouse.config.IndexConfig;
import dev.wheelhouse.config.IndexType;
import dev.wheelhouse.config.WheelhouseConfig;
import dev.wheelhouse.server.admin.LifecycleRoutes;
import dev.wheelhouse.server.admin.PruneRequest;
import dev.wheelhouse.server.admin.YankRoutes;
import dev.wheelhouse.server.apt.AptMetrics;
import dev.wheelhouse.server.apt.AptMirrors;
import dev.wheelhouse.server.apt.AptPath;
import dev.wheelhouse.server.apt.AptRoutes;
import dev.wheelhouse.server.apt.AptService;
import dev.wheelhouse.server.apt.AptUpstream;
import dev.wheelhouse.server.auth.Authenticator;
import dev.wheelhouse.server.files.FileLocator;
import dev.wheelhouse.server.files.FileResponses;
import dev.wheelhouse.server.files.FileRoutes;
import dev.wheelhouse.server.http.AccessLog;
import dev.wheelhouse.server.http.BlockingExecutor;
import dev.wheelhouse.server.http.FailureResponder;
import dev.wheelhouse.server.http.HttpProblem;
import dev.wheelhouse.server.http.HttpVerticle;
import dev.wheelhouse.server.http.PathGuard;
import dev.wheelhouse.server.lifecycle.AccessRecorder;
import dev.wheelhouse.server.lifecycle.BlobLeases;
import dev.wheelhouse.server.lifecycle.GarbageCollector;
import dev.wheelhouse.server.lifecycle.LifecycleLock;
import dev.wheelhouse.server.lifecycle.LifecycleMetrics;
import dev.wheelhouse.server.lifecycle.ProgressListener;
import dev.wheelhouse.server.lifecycle.PrunePolicy;
import dev.wheelhouse.server.lifecycle.Pruner;
import dev.wheelhouse.server.lifecycle.StoreStats;
import dev.wheelhouse.server.lifecycle.Verifier;
import dev.wheelhouse.server.misses.MissMetrics;
import dev.wheelhouse.server.misses.MissRecorder;
import dev.wheelhouse.server.misses.MissRoutes;
import dev.wheelhouse.server.ops.HomePage;
import dev.wheelhouse.server.ops.OpsRoutes;
import dev.wheelhouse.server.ops.RecentActivity;
import dev.wheelhouse.server.ops.RequestMetrics;
import dev.wheelhouse.server.ops.ServerMetrics;
import dev.wheelhouse.server.ops.TrafficTotals;
import dev.wheelhouse.server.provenance.ProvenanceRoutes;
import dev.wheelhouse.server.provenance.ProvenanceService;
import dev.wheelhouse.server.provenance.RecentBuilds;
import dev.wheelhouse.server.proxy.ProxyFiles;
import dev.wheelhouse.server.proxy.ProxyMetrics;
import dev.wheelhouse.server.proxy.ProxyPages;
import dev.wheelhouse.server.proxy.UpstreamHttp;
import dev.wheelhouse.server.proxy.fill.FillCoordinator;
import dev.wheelhouse.server.proxy.fill.FillResponder;
import dev.wheelhouse.server.pypi.IndexRegistry;
import dev.wheelhouse.server.pypi.ProjectPageService;
import dev.wheelhouse.server.pypi.SimpleIndexRoutes;
import dev.wheelhouse.server.pypi.SimplePages;
import dev.wheelhouse.server.upload.UploadRoutes;
import dev.wheelhouse.server.upload.UploadService;
import dev.wheelhouse.storage.EntryRef;
import dev.wheelhouse.storage.FileBlobStore;
import dev.wheelhouse.storage.MetadataStore;
import dev.wheelhouse.storage.PageCache;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wheelhouse HTTP server: opens the stores under the data directory, wires the features' routes
 * and listens. {@link #close()} stops accepting, lets in-flight requests finish, then closes the
 * metadata store cleanly.
 */
public final class WheelhouseServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WheelhouseServer.class);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
  private static final int STORAGE_WORKERS = 32;
  private static final Duration ACCESS_FLUSH = Duration.ofSeconds(10);
  // Longer than any upload or download takes between committing a blob and recording it.
  private static final Duration GC_GRACE = Duration.ofHours(1);
  // A proxied file smaller than this is checked whole before its first byte goes out, so that a
  // hash mismatch can still be answered with a 502; larger ones stream as they arrive.
  private static final long FILL_HEADERS_AFTER = 1 << 20;
  private static final int HTTP_INSTANCES = Math.max(1, Runtime.getRuntime().availableProcessors());

  private final Vertx vertx;
  private final List<String> http;
  private final int port;
  private final WorkerExecutor workers;
  private final ExecutorService fillExecutor;
  private final FileBlobStore blobs;
  private final MetadataStore metadata;
  private final AtomicBoolean closed;
  private final String host;
  private final AccessRecorder accesses;
  private final MissRecorder misses;

  private WheelhouseServer(
      Vertx vertx,
      List<String> http,
      int port,
      WorkerExecutor workers,
      ExecutorService fillExecutor,
      FileBlobStore blobs,
      MetadataStore metadata,
      AtomicBoolean closed,
      String host,
      AccessRecorder accesses,
      MissRecorder misses) {
    this.vertx = vertx;
    this.http = http;
    this.port = port;
    this.workers = workers;
    this.fillExecutor = fillExecutor;
    this.blobs = blobs;
    this.metadata = metadata;
    this.closed = closed;
    this.host = host;
    this.accesses = accesses;
    this.misses = misses;
  }

  private static Thread fillThread(Runnable task) {
    Thread thread = new Thread(task, "wheelhouse-fill");
    thread.setDaemon(true);
    return thread;
  }

  /** Opens the stores and listens; returns once the port is bound. */
  public static WheelhouseServer start(WheelhouseConfig config) throws Exception {
    Clock clock = Clock.systemUTC();
    Path data = config.data().toAbsolutePath().normalize();
    Files.createDirectories(data);
    IndexRegistry registry = new IndexRegistry(config);
    FileBlobStore blobs = FileBlobStore.open(data);
    MetadataStore metadata;
    try {
      metadata = MetadataStore.open(data.resolve("meta"), clock);
    } catch (IOException e) {
      blobs.close();
      throw e;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    WorkerExecutor workers =
        vertx.createSharedWorkerExecutor("wheelhouse-storage", STORAGE_WORKERS);
    // Upstream downloads run on their own threads: one per file in flight, shared by its clients.
    ExecutorService fillExecutor = Executors.newCachedThreadPool(WheelhouseServer::fillThread);
    AtomicBoolean closed = new AtomicBoolean();
    AccessRecorder accesses = new AccessRecorder(metadata, clock);
    BlobLeases leases = new BlobLeases();
    try {
      Routed routed =
          router(
              vertx,
              config,
              clock,
              registry,
              blobs,
              metadata,
              workers,
              fillExecutor,
              closed,
              new Lifecycle(accesses, leases));
      // Access counts and platform misses reach the store in batches, off the event loops.
      long unusedTimer =
          vertx.setPeriodic(
              ACCESS_FLUSH.toMillis(),
              id -> {
                var unused =
                    workers.executeBlocking(
                        () -> {
                          accesses.flush();
                          routed.misses().flush();
                          return null;
                        });
              });
      int[] port = new int[1];
      List<String> http =
          listen(vertx, routed.handler(), config.listen().host(), config.listen().port(), port);
      WheelhouseServer server =
          new WheelhouseServer(
              vertx,
              http,
              port[0],
              workers,
              fillExecutor,
              blobs,
              metadata,
              closed,
              config.listen().host(),
              accesses,
              routed.misses());
      LOG.info(
          "listening on {} (data: {}, {} HTTP event loops, {} transport)",
          server.baseUrl(),
          data,
          HTTP_INSTANCES,
          vertx.isNativeTransportEnabled() ? "native" : "NIO");
      return server;
    } catch (Exception e) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      fillExecutor.shutdownNow();
      metadata.close();
      blobs.close();
      throw e;
    }
  }

  /**
   * Deploys one HTTP verticle per core in one deployment: its instances share the listening socket
   * (also the free port chosen for port 0), and Vert.x spreads connections over them.
   */
  private static List<String> listen(
      Vertx vertx, Handler<HttpServerRequest> router, String host, int port, int[] boundPort)
      throws Exception {
    List<HttpVerticle> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
    String deployment =
        await(
            vertx.deployVerticle(
                () -> {
                  HttpVerticle instance = new HttpVerticle(router, host, port, SHUTDOWN_GRACE);
                  instances.add(instance);
                  return instance;
                },
                new DeploymentOptions().setInstances(HTTP_INSTANCES)));
    boundPort[0] = instances.get(0).actualPort();
    return List.of(deployment);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** The request handler, and what records platform misses (flushed on a schedule and at close). */
  private record Routed(Handler<HttpServerRequest> handler, MissRecorder misses) {}

  private static Routed router(
      Vertx vertx,
      WheelhouseConfig config,
      Clock clock,
      IndexRegistry registry,
      FileBlobStore blobs,
      MetadataStore metadata,
      WorkerExecutor workers,
      ExecutorService fillExecutor,
      AtomicBoolean closed,
      Lifecycle lifecycle) {
    BlockingExecutor blocking = new BlockingExecutor(workers);
    Authenticator auth = new Authenticator(config.auth());
    ServerMetrics metrics = new ServerMetrics(metadata);
    ProxyMetrics proxyMetrics = new ProxyMetrics(metrics.registry());
    FillCoordinator fills = new FillCoordinator(blobs, fillExecutor);
    proxyMetrics.registerCoalesced(fills::coalesced);
    FileLocator locator = new FileLocator(registry, metadata, blobs);
    Map<String, ProxyPages> proxyPages = new LinkedHashMap<>();
    // Filled below: proxies tell the page cache when a download changed what pages show.
    SimplePages[] pagesRef = new SimplePages[1];
    Map<String, ProxyFiles> proxyFiles = new LinkedHashMap<>();
    for (IndexConfig index : registry.all()) {
      if (index.type() != IndexType.PROXY) {
        continue;
      }
      UpstreamHttp upstream = new UpstreamHttp(index);
      ProxyPages proxy =
          new ProxyPages(index, metadata, upstream, clock, config.offline(), proxyMetrics);
      proxyPages.put(index.name(), proxy);
      proxyFiles.put(
          index.name(),
          new ProxyFiles(
              proxy,
              upstream,
              fills,
              locator,
              metadata,
              blobs,
              clock,
              config.offline(),
              proxyMetrics,
              project -> pagesRef[0].invalidate(registry.readersOf(index.name()), project)));
    }
    PageCache pageCache = new PageCache(config.pages().cacheSize().bytes());
    ProjectPageService projectPages = new ProjectPageService(registry, metadata, proxyPages, clock);
    SimplePages pages =
        new SimplePages(
            registry, projectPages, pageCache, config.pages().cacheSize().bytes(), clock);
    pagesRef[0] = pages;
    MissRecorder misses =
        new MissRecorder(
            registry, projectPages, metadata, blocking, clock, new MissMetrics(metrics.registry()));

    FillResponder fillResponder = new FillResponder(vertx, FILL_HEADERS_AFTER);
    AptMetrics aptMetrics = new AptMetrics(metrics.registry());
    AptRoutes apt =
        new AptRoutes(
            new AptMirrors(config.apt()),
            new AptService(
                new AptUpstream(),
                fills,
                metadata,
                blobs,
                clock,
                aptMetrics,
                config.offline(),
                fillExecutor),
            new FileResponses(fillResponder),
            aptMetrics,
            blocking,
            auth,
            lifecycle.leases(),
            lifecycle.accesses());

    Router router = Router.router(vertx);
    router
        .route()
        .handler(new AccessLog(clock))
        .handler(new RequestMetrics(metrics))
        .handler(apt.forwardProxy())
        .handler(new PathGuard());
    new OpsRoutes(metrics, () -> !closed.get()).register(router);
    LifecycleRoutes lifecycleRoutes =
        lifecycleRoutes(
            vertx, config, clock, registry, blobs, metadata, workers, lifecycle, locator, pages,
            metrics);
    new HomePage(
            registry,
            metadata,
            lifecycleRoutes.stats(),
            lifecycleRoutes.traffic(),
            lifecycleRoutes.pruner()::lastReport,
            new RecentActivity(new RecentBuilds(registry, metadata), misses),
            auth,
            blocking)
        .register(router);
    new SimpleIndexRoutes(registry, pages, blocking, auth, config.pages().maxAge(), misses)
        .register(router);
    new FileRoutes(
            locator,
            proxyFiles,
            fillResponder,
            proxyMetrics,
            blocking,
            auth,
            lifecycle.leases(),
            lifecycle.accesses(),
            misses)
        .register(router);
    new ProvenanceRoutes(
            new ProvenanceService(registry, metadata, blobs), blocking, auth, lifecycle.leases())
        .register(router);
    new UploadRoutes(
            registry,
            new UploadService(blobs, metadata, clock),
            pages,
            blocking,
            auth,
            metrics,
            blobs.tempDir(),
            config.upload().maxSize().bytes())
        .register(router);
    new YankRoutes(registry, metadata, pages, blocking, auth).register(router);
    new MissRoutes(misses, blocking, auth).register(router);
    lifecycleRoutes.register(router);
    // Last: its host-style paths must not shadow any other route.
    apt.register(router);
    router
        .route()
        .handler(
            ctx -> {
              throw HttpProblem.notFound("no such resource: " + ctx.request().path());
            });
    router.route().failureHandler(new FailureResponder());
    // CONNECT has no path, so the router would never see it.
    return new Routed(apt.refusingConnect(router), misses);
  }

  /**
   * Pruning, garbage collection and verification, one at a time, with what they remove dropped from
   * the caches that could still name it; and pruning on a schedule when configured.
   */
  private static LifecycleRoutes lifecycleRoutes(
      Vertx vertx,
      WheelhouseConfig config,
      Clock clock,
      IndexRegistry registry,
      FileBlobStore blobs,
      MetadataStore metadata,
      WorkerExecutor workers,
      Lifecycle lifecycle,
      FileLocator locator,
      SimplePages pages,
      ServerMetrics metrics) {
    Path data = config.data().toAbsolutePath().normalize();
    LifecycleLock lock = new LifecycleLock();
    Consumer<EntryRef> forget =
        ref -> {
          if (ref instanceof EntryRef.IndexFile file) {
            locator.forget(file.index(), file.project(), file.filename());
            pages.invalidate(registry.readersOf(file.index()), file.project());
          }
        };
    Pruner pruner =
        new Pruner(
            metadata, blobs, lifecycle.leases(), clock, () -> usableSpace(data), forget, lock);
    Set<String> evictable = new LinkedHashSet<>(config.prune().hosted());
    Set<String> known = new LinkedHashSet<>();
    for (IndexConfig index : registry.all()) {
      known.add(index.name());
      if (index.type() == IndexType.PROXY) {
        evictable.add(index.name());
      }
    }
    config
        .apt()
        .mirrors()
        .forEach(
            m -> {
              known.add(m.name());
              evictable.add(m.name());
            });
    PruneRequest prune = new PruneRequest(config.prune(), evictable, known);
    LifecycleMetrics lifecycleMetrics =
        new LifecycleMetrics(metrics.registry(), lifecycle.leases(), lifecycle.accesses());
    config
        .prune()
        .interval()
        .ifPresent(
            interval ->
                schedulePrune(
                    vertx,
                    workers,
                    pruner,
                    prune.configured(),
                    interval,
                    lifecycleMetrics,
                    lifecycle.accesses()));
    return new LifecycleRoutes(
        pruner,
        new GarbageCollector(metadata, blobs, lifecycle.leases(), clock, GC_GRACE, lock),
        new Verifier(metadata, blobs, clock, data.resolve("quarantine"), forget, lock),
        new StoreStats(metadata, ref -> kindOf(registry, ref)),
        prune,
        metadata,
        new TrafficTotals(metrics.registry()),
        new BlockingExecutor(workers),
        new Authenticator(config.auth()),
        lifecycleMetrics,
        lifecycle.accesses());
  }

  private static void schedulePrune(
      Vertx vertx,
      WorkerExecutor workers,
      Pruner pruner,
      PrunePolicy policy,
      Duration interval,
      LifecycleMetrics metrics,
      AccessRecorder accesses) {
    if (!policy.hasLimits()) {
      LOG.warn("prune.interval is set but no limit is: scheduled pruning would remove nothing");
      return;
    }
    long unusedTimer =
        vertx.setPeriodic(
            interval.toMillis(),
            id -> {
              var unused =
                  workers
                      .executeBlocking(
                          () -> {
                            accesses.flush();
                            return pruner.run(policy, true, ProgressListener.NONE);
                          },
                          false)
                      .onSuccess(
                          report -> {
                            metrics.pruned(report);
                            LOG.info(
                                "scheduled prune: {} files, {} bytes freed",
                                report.entriesSelected(),
                                report.bytesFreed());
                          })
                      .onFailure(e -> LOG.warn("scheduled prune did not run: {}", e.getMessage()));
            });
  }

  private static String kindOf(IndexRegistry registry, EntryRef ref) {
    if (ref instanceof EntryRef.AptFile apt) {
      return new AptPath(apt.path()).kind() == AptPath.Kind.POOL ? "apt package" : "apt index";
    }
    EntryRef.IndexFile file = (EntryRef.IndexFile) ref;
    return registry
        .find(file.index())
        .map(index -> index.type().name().toLowerCase(java.util.Locale.ROOT))
        .orElse("unconfigured");
  }

  private static long usableSpace(Path data) {
    try {
      return Files.getFileStore(data).getUsableSpace();
    } catch (IOException e) {
      LOG.warn("cannot read the free space of {}: {}", data, e.toString());
      return Long.MAX_VALUE; // unknown: min-free then evicts nothing
    }
  }

  /** What the storage lifecycle shares with the routes that serve files. */
  private record Lifecycle(AccessRecorder accesses, BlobLeases leases) {}

  public int port() {
    return port;
  }

  public String baseUrl() {
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + shown + ":" + port();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      // Undeploying stops each HTTP verticle: no new connections, in-flight requests finish.
      Future.all(http.stream().map(vertx::undeploy).toList())
          .toCompletionStage()
          .toCompletableFuture()
          .get(SHUTDOWN_GRACE.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("HTTP server did not shut down cleanly", e);
    }
    try {
      workers.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("event loops did not stop cleanly", e);
    }
    // Unfinished downloads are abandoned; their temp files are removed, nothing is recorded.
    fillExecutor.shutdownNow();
    try {
      if (!fillExecutor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("upstream downloads still running at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      accesses.flush();
    } catch (RuntimeException e) {
      LOG.warn("last access counts not recorded: {}", e.toString());
    }
    misses.flush(); // failures are logged, and the sightings kept, by the recorder
    metadata.close();
    blobs.close();
    LOG.info("stopped");
  }
}
