/** Seed 000's "Kafka Message Format" example, verbatim but for a time zone on the timestamp. */
export const seedCodeExecutionMessage = Object.freeze({
  request_id: 'req_20241201_143022_123456',
  code: "print('Hello, World!')",
  language: 'python',
  input_data: '',
  user_id: 'user123',
  timestamp: '2024-12-01T14:30:22.123456Z',
  status: 'submitted',
});
