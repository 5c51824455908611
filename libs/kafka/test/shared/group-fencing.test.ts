import { describe, expect, it } from '@jest/globals';
import { KafkaError } from '@sentiment/errors';
import { toKafkaError as fromPlatformatic } from '../../src/platformatic/platformatic-errors';
import { isGroupFencing } from '../../src/shared/group-fencing';

/** What @platformatic/kafka throws for a broker error answered to one request (a ResponseError around a ProtocolError). */
function platformaticResponseError(apiId: string): Error {
  const protocol = Object.assign(new Error(`broker said ${apiId}`), { code: 'PLT_KFK_PROTOCOL', apiId, canRetry: false });
  return Object.assign(new Error('Received response with error while executing API TxnOffsetCommit(v4)'), { code: 'PLT_KFK_RESPONSE', errors: [protocol] });
}

describe('isGroupFencing', () => {
  it.each(['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID', 'STALE_MEMBER_EPOCH', 'FENCED_MEMBER_EPOCH'])(
    'when a commit is refused with %s, then the batch is fenced',
    (apiId) => {
      expect(isGroupFencing(fromPlatformatic(platformaticResponseError(apiId), 'TxnOffsetCommit failed'))).toBe(true);
    },
  );

  it('when a commit fails for another reason (a full topic, a lost connection, a foreign error), then it is not fencing', () => {
    expect(isGroupFencing(fromPlatformatic(platformaticResponseError('MESSAGE_TOO_LARGE'), 'produce failed'))).toBe(false);
    expect(isGroupFencing(new KafkaError('KAFKA_CONNECTION', 'connection lost', { retriable: true }))).toBe(false);
    expect(isGroupFencing(new Error('ILLEGAL_GENERATION'))).toBe(false);
    expect(isGroupFencing(undefined)).toBe(false);
  });
});
