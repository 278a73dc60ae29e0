import type { DeliveryError } from '../../alerting/notify/notifier.js';

/** The DeliveryError a send rejects with; fails the test if the send succeeds. */
export async function failure(promise: Promise<void>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    return error as DeliveryError;
  }
  throw new Error('expected a delivery failure');
}
