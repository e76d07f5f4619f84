import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectorSinkKind, loadKafkaConfig } from './kafka-config.ts';
import { recordKey } from './record-key.ts';
import { encodeRawRecord } from '../protocol/raw-record.ts';
import { loadCollectorConfig } from '../config.ts';

test('the spool stays the default sink; kafka needs brokers, named in the error', () => {
  assert.equal(collectorSinkKind({}), 'spool');
  assert.equal(loadCollectorConfig({}).kafka, undefined);
  assert.throws(() => loadCollectorConfig({ COLLECTOR_SINK: 'kafka' }), /KAFKA_BROKERS: COLLECTOR_SINK=kafka needs the Kafka brokers/);
  assert.throws(() => collectorSinkKind({ COLLECTOR_SINK: 'kinesis' }), /COLLECTOR_SINK: invalid value "kinesis"/);
  assert.equal(loadCollectorConfig({ COLLECTOR_SINK: 'kafka', KAFKA_BROKERS: 'a:9092,b:9093' }).kafka?.brokers.join(','), 'a:9092,b:9093');
});

test('bad Kafka settings are refused with the variable named', () => {
  assert.throws(() => loadKafkaConfig({ KAFKA_BROKERS: 'nohost' }, 'x'), /KAFKA_BROKERS: invalid value "nohost"/);
  assert.throws(() => loadKafkaConfig({ KAFKA_BROKERS: 'a:1', KAFKA_TOPIC: 'bad topic' }, 'x'), /KAFKA_TOPIC/);
  assert.throws(() => loadKafkaConfig({ KAFKA_BROKERS: 'a:1', KAFKA_SASL_MECHANISM: 'PLAIN' }, 'x'), /KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD together/);
  assert.throws(() => loadKafkaConfig({ KAFKA_BROKERS: 'a:1', KAFKA_TLS_CA_FILE: '/nonexistent/ca.pem' }, 'x'), /KAFKA_TLS_CA_FILE: cannot read/);
  const c = loadKafkaConfig({ KAFKA_BROKERS: 'a:1', KAFKA_TLS: 'true', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }, 'x');
  assert.deepEqual([c.tls?.rejectUnauthorized, c.sasl?.mechanism, c.topic], [true, 'SCRAM-SHA-512', 'webcube-raw']);
});

test('a raw record is keyed by its network user id, else its IP, without parsing the body', () => {
  assert.equal(recordKey(encodeRawRecord({ t: 1, src: 'tp2', ip: '1.2.3.4', nuid: 'n-1' }, '{"data":[]}')), 'n-1');
  assert.equal(recordKey(encodeRawRecord({ t: 1, src: 'tp2', ip: '1.2.3.4' }, '{"data":[]}')), '1.2.3.4');
  assert.equal(recordKey(encodeRawRecord({ t: 1, src: 'tp2' }, '{"data":[]}')), null);
  assert.equal(recordKey('{"event_id":"x"}\n'), null);
});

test('a network user id the collector made up keys nothing: a retransmit goes where the first attempt went', () => {
  const body = '{"schema":"iglu:x","data":[{"e":"pv","eid":"6f1c7a8e-0b0e-4f7e-9a38-1d2c3b4a5e6f"},{"e":"pv","eid":"second"}]}';
  assert.equal(recordKey(encodeRawRecord({ t: 1, src: 'tp2', ip: '1.2.3.4', nuid: 'made-up', nuidNew: 1 }, body)), '1.2.3.4');
  assert.equal(recordKey(encodeRawRecord({ t: 2, src: 'tp2', nuid: 'made-up', nuidNew: 1 }, body)), '6f1c7a8e-0b0e-4f7e-9a38-1d2c3b4a5e6f');
  assert.equal(recordKey(encodeRawRecord({ t: 3, src: 'tp2', nuid: 'made-up-again', nuidNew: 1 }, body)), '6f1c7a8e-0b0e-4f7e-9a38-1d2c3b4a5e6f');
});
