import * as grpc from '@grpc/grpc-js';
import type { Dialer } from './dialer.js';
import { MAX_TOKEN_LENGTH, TOKEN_METADATA_KEY as TOKEN_HEADER } from '../util/acl-token.js';

/**
 * `token` if it can be sent as a gRPC metadata value (printable ASCII, no spaces, at most
 * MAX_TOKEN_LENGTH), undefined for none; throws a TypeError saying what is wrong otherwise,
 * before any call fails for a reason far from its cause.
 */
export function checkedToken(token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  if (token.length > MAX_TOKEN_LENGTH) throw new TypeError(`the ACL token is ${token.length} characters long; a secret id is at most ${MAX_TOKEN_LENGTH}`);
  if (!/^[\x21-\x7e]+$/.test(token)) throw new TypeError('the ACL token holds a space or a character that is not printable ASCII; pass the secret id alone');
  return token;
}

/**
 * A gRPC client interceptor that sends `token` as x-roster-token on every call, unary or
 * streaming, unless the call carries one already (an application's own token, passed through
 * an agent, wins over the agent's default, as in Consul).
 */
export function tokenInterceptor(token: string): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        if (metadata.get(TOKEN_HEADER).length === 0) metadata.set(TOKEN_HEADER, token);
        next(metadata, listener);
      },
    });
}

/** `dial` with `token` on every call of the channels it makes; `dial` itself when there is no token. */
export function withToken(dial: Dialer, token: string | undefined): Dialer {
  if (token === undefined || token === '') return dial;
  const interceptor = tokenInterceptor(token);
  return (address) => {
    const d = dial(address);
    const had = (d.options as { interceptors?: grpc.Interceptor[] }).interceptors ?? [];
    return { credentials: d.credentials, options: { ...d.options, interceptors: [...had, interceptor] } };
  };
}
