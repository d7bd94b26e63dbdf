// Makes sure a redis-server exists for the shared-limit tests, installing Debian's package with
// apt-get when missing (as root, e.g. on a fresh CI machine), before the tests start: an install
// can wait minutes for the dpkg lock, longer than a test hook should.
import { ensureRedisServer } from '../tools/kit/redis-server.js';

try {
  console.log(`redis-server: ${ensureRedisServer()}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
