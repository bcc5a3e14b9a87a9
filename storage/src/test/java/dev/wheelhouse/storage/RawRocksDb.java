package dev.wheelhouse.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** A closed store's RocksDB changed behind its back, as an older version would have left it. */
final class RawRocksDb {
  private RawRocksDb() {}

  /** Drops the column family {@code name} from the closed database in {@code dir}. */
  static void dropFamily(Path dir, String name) throws Exception {
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    try (Options options = new Options()) {
      for (byte[] family : RocksDB.listColumnFamilies(options, dir.toString())) {
        descriptors.add(new ColumnFamilyDescriptor(family));
      }
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions();
        RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
      for (int i = 0; i < descriptors.size(); i++) {
        if (new String(descriptors.get(i).getName(), StandardCharsets.UTF_8).equals(name)) {
          db.dropColumnFamily(handles.get(i));
        }
      }
      handles.forEach(ColumnFamilyHandle::close);
    }
  }
}
