import { expect } from 'chai';
import { NO_TOPIC, OTHER_TOPIC, TopicLabels } from '../../../src/metrics/topic-labels.js';
import { topicNameProblem } from '../../../src/shared/topic-name.js';

describe('topic labels', () => {
  it('admits the first N acknowledged topics; later ones share __other__', () => {
    const labels = new TopicLabels(2);
    expect(labels.admit('a')).to.equal('a');
    expect(labels.admit('b')).to.equal('b');
    expect(labels.admit('c')).to.equal(OTHER_TOPIC);
    expect(labels.admit('a')).to.equal('a');
    expect(labels.size).to.equal(2);
  });

  it('a lookup never admits: a topic that only ever fails has no label of its own', () => {
    const labels = new TopicLabels(10);
    expect(labels.lookup('never-acked')).to.equal(OTHER_TOPIC);
    expect(labels.size).to.equal(0);
    expect(labels.lookup(undefined)).to.equal(NO_TOPIC);
  });

  it('a cap of 0 puts every topic under __other__', () => {
    expect(new TopicLabels(0).admit('a')).to.equal(OTHER_TOPIC);
  });

  it('the reserved values can never be a real topic', () => {
    expect(topicNameProblem(OTHER_TOPIC)).to.be.a('string');
    expect(topicNameProblem(NO_TOPIC)).to.be.a('string');
  });
});
