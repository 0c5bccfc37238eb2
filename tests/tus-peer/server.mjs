// The peer tus server for the court client's interoperability test: @tus/server with
// @tus/file-store, storing uploads in the folder given as the first argument. Prints its
// creation endpoint on the first line of stdout.
import http from 'node:http';
import { Server } from '@tus/server';
import { FileStore } from '@tus/file-store';

const directory = process.argv[2];
if (!directory) {
  console.error('usage: node tests/tus-peer/server.mjs STORE_DIR');
  process.exit(2);
}
const tus = new Server({ path: '/files', datastore: new FileStore({ directory }) });
const server = http.createServer((request, response) => tus.handle(request, response));
server.listen(0, '127.0.0.1', () => {
  console.log(`tus peer listening on http://127.0.0.1:${server.address().port}/files`);
});
