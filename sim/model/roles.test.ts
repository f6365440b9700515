/**
 * Role paths. Cases after Mesos's `Resources::isAllocatableTo` (src/common/resources.cpp): a
 * reservation for a role may go to that role and to its descendants, never to a sibling whose
 * name merely starts the same, nor to an ancestor.
 */
import { describe, expect, test } from '@jest/globals';
import { allocatableTo, parentRole } from './roles.js';

describe('allocatableTo', () => {
  test('the same role and its descendants, at any depth', () => {
    expect(allocatableTo('eng', 'eng')).toBe(true);
    expect(allocatableTo('eng', 'eng/batch')).toBe(true);
    expect(allocatableTo('eng', 'eng/batch/nightly')).toBe(true);
    expect(allocatableTo('eng/batch', 'eng/batch/nightly')).toBe(true);
  });

  test('not a name that only starts the same, an ancestor or a sibling', () => {
    expect(allocatableTo('eng', 'engineering')).toBe(false);
    expect(allocatableTo('eng', 'en')).toBe(false);
    expect(allocatableTo('eng/batch', 'eng')).toBe(false);
    expect(allocatableTo('eng/batch', 'eng/service')).toBe(false);
    expect(allocatableTo('eng/b', 'eng/batch')).toBe(false);
  });
});

describe('parentRole', () => {
  test('drops the last segment; a top-level role has none', () => {
    expect(parentRole('eng/batch/nightly')).toBe('eng/batch');
    expect(parentRole('eng/batch')).toBe('eng');
    expect(parentRole('eng')).toBeUndefined();
  });
});
