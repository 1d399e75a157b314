import type { IncomingMessage } from 'node:http';
import { clientAddress } from '../../../gateway/clientAddress';

// Who an anonymous request is counted as: the socket's peer, or the X-Forwarded-For entry written by
// the outermost trusted proxy — never one the client could have written itself.
const request = (forwardedFor?: string | string[]) =>
  ({
    socket: { remoteAddress: '10.0.0.9' },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

it.each([
  [0, '1.1.1.1, 2.2.2.2', '10.0.0.9'],
  [1, undefined, '10.0.0.9'],
  [1, '', '10.0.0.9'],
  [1, '1.1.1.1', '1.1.1.1'],
  [1, 'forged, 2.2.2.2', '2.2.2.2'],
  [2, 'forged, 3.3.3.3, 10.1.1.1', '3.3.3.3'],
  [3, '4.4.4.4, 10.1.1.1', '4.4.4.4'],
  [1, ['forged', '5.5.5.5'], '5.5.5.5'],
] as const)('with %i trusted proxies and X-Forwarded-For %j: %s', (proxies, header, expected) => {
  expect(clientAddress(request(header as string | string[] | undefined), proxies)).toBe(expected);
});
