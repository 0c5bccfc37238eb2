// A network scanner for the e2e tests: an eSCL flatbed on loopback that hands out one real
// corpus page per job; given `announceAs`, also announced over multicast DNS (`_uscan._tcp`)
// the way a scanner on the office network announces itself, so the app finds it without an
// address being typed.

import http from 'node:http';
import { readFile } from 'node:fs/promises';
import makeMdns from 'multicast-dns';

const NS = 'xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm"';

function capabilities(model) {
  const resolutions = [150, 300]
    .map((r) => `<scan:DiscreteResolution><scan:XResolution>${r}</scan:XResolution><scan:YResolution>${r}</scan:YResolution></scan:DiscreteResolution>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerCapabilities ${NS}><pwg:Version>2.63</pwg:Version><pwg:MakeAndModel>${model}</pwg:MakeAndModel>
<scan:Platen><scan:PlatenInputCaps><scan:MinWidth>16</scan:MinWidth><scan:MaxWidth>2550</scan:MaxWidth><scan:MinHeight>16</scan:MinHeight><scan:MaxHeight>3508</scan:MaxHeight>
<scan:SettingProfiles><scan:SettingProfile><scan:ColorModes><scan:ColorMode>Grayscale8</scan:ColorMode><scan:ColorMode>RGB24</scan:ColorMode></scan:ColorModes>
<scan:DocumentFormats><pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat></scan:DocumentFormats>
<scan:SupportedResolutions><scan:DiscreteResolutions>${resolutions}</scan:DiscreteResolutions></scan:SupportedResolutions>
</scan:SettingProfile></scan:SettingProfiles></scan:PlatenInputCaps></scan:Platen></scan:ScannerCapabilities>`;
}

const STATUS = `<?xml version="1.0" encoding="UTF-8"?><scan:ScannerStatus ${NS}><pwg:Version>2.63</pwg:Version><pwg:State>Idle</pwg:State></scan:ScannerStatus>`;

/**
 * Starts the flatbed (make and model `model`) on a free loopback port, announced as the
 * instance `announceAs` if given. Returns `{ url, jobs, stop }`: `jobs` counts the scan jobs
 * the app posted.
 */
export async function startNetworkScanner({ page, model, announceAs }) {
  const jpeg = await readFile(page);
  const state = { jobs: 0, served: new Set() };
  const server = http.createServer((req, res) => {
    const reply = (status, headers = {}, body = '') => {
      res.writeHead(status, { 'Content-Length': Buffer.byteLength(body), ...headers });
      res.end(body);
    };
    req.resume();
    req.on('end', () => {
      const job = req.url.match(/^\/eSCL\/ScanJobs\/(\d+)(\/NextDocument)?$/);
      if (req.method === 'GET' && req.url === '/eSCL/ScannerCapabilities') {
        reply(200, { 'Content-Type': 'text/xml' }, capabilities(model));
      } else if (req.method === 'GET' && req.url === '/eSCL/ScannerStatus') {
        reply(200, { 'Content-Type': 'text/xml' }, STATUS);
      } else if (req.method === 'POST' && req.url === '/eSCL/ScanJobs') {
        state.jobs += 1;
        reply(201, { Location: `/eSCL/ScanJobs/${state.jobs}` });
      } else if (req.method === 'GET' && job?.[2] && !state.served.has(job[1])) {
        // One page a job, as a flatbed gives; the next request ends the job with 404.
        state.served.add(job[1]);
        reply(200, { 'Content-Type': 'image/jpeg' }, jpeg);
      } else if (req.method === 'DELETE' && job && !job[2]) {
        reply(200);
      } else {
        reply(404);
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();

  const mdns = announceAs ? announce(announceAs, model, port) : null;
  return {
    url: `http://127.0.0.1:${port}/eSCL`,
    get jobs() {
      return state.jobs;
    },
    stop: async () => {
      if (mdns) await new Promise((resolve) => mdns.destroy(resolve));
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Answers multicast DNS queries for `_uscan._tcp` as a scanner does: PTR to its instance, SRV
 * and TXT of the instance (the resource path and the make and model), and its address. The
 * answer goes out on the default interface; the address in it is loopback, where the flatbed
 * listens.
 */
function announce(name, model, port) {
  const service = '_uscan._tcp.local';
  const instance = `${name}.${service}`;
  const host = 'litigant-e2e-scanner.local';
  const records = [
    { name: service, type: 'PTR', ttl: 120, data: instance },
    { name: instance, type: 'SRV', ttl: 120, data: { priority: 0, weight: 0, port, target: host } },
    { name: instance, type: 'TXT', ttl: 120, data: ['txtvers=1', 'rs=eSCL', `ty=${model}`, 'pdl=image/jpeg'] },
    { name: host, type: 'A', ttl: 120, data: '127.0.0.1' },
  ];
  const mdns = makeMdns({ loopback: true });
  mdns.on('query', (query) => {
    const asked = new Set(query.questions.map((q) => q.name.toLowerCase()));
    const answers = records.filter((r) => asked.has(r.name.toLowerCase()));
    if (answers.length > 0) {
      mdns.respond({ answers, additionals: records.filter((r) => !answers.includes(r)) });
    }
  });
  // Announced once at the start too, as a scanner does when it joins the network.
  mdns.respond({ answers: records });
  return mdns;
}
