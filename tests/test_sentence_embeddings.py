"""The sentence-embedding featurizer (bot/components/sentence_embeddings.py): it learns
the embeddings' mean, keeps it with the model, and gives sentences of like meaning, in
any of the seven languages, like features."""

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.sentence_embeddings import SentenceEmbeddingFeaturizer
from knowledge.meaning import MEANING, embed_queries, unpack

TRAINING = [
    ("ik zoek werk", "find_help"), ("je cherche un logement", "find_help"),
    ("hallo", "greet"), ("merci beaucoup", "thank"), ("ik wil stoppen met drugs", "find_help"),
    ("what can you do", "bot_help"), ("تريد موعد مع المحامي", "book_appointment"),
]


@pytest.fixture
def featurizer(tmp_path):
    """A featurizer trained on TRAINING, then loaded from its model storage as Rasa does."""
    storage = LocalModelStorage(tmp_path)
    resource = Resource("embeddings")
    context = ExecutionContext(GraphSchema({}), "test")
    config = SentenceEmbeddingFeaturizer.get_default_config()
    trained = SentenceEmbeddingFeaturizer.create(config, storage, resource, context)
    trained.train(TrainingData([Message(data={TEXT: text, "intent": intent})
                                for text, intent in TRAINING]))
    return SentenceEmbeddingFeaturizer.load(config, storage, resource, context)


def vectors(featurizer, texts):
    messages = featurizer.process([Message(data={TEXT: text}) for text in texts])
    return np.vstack([message.get_dense_features(TEXT)[1].features for message in messages])


def test_the_learned_mean_is_kept_with_the_model(featurizer):
    assert featurizer.mean.shape == (384,)
    assert np.linalg.norm(featurizer.mean) > 0.5  # e5's large common part


def test_a_message_gets_one_sentence_feature_and_no_sequence_features(featurizer):
    [message] = featurizer.process([Message(data={TEXT: "ik heb schulden"})])
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence is None
    assert sentence.features.shape == (1, 384)


def test_a_message_without_text_is_left_alone(featurizer):
    [message] = featurizer.process([Message(data={"intent": "greet"})])
    assert message.get_dense_features(TEXT) == (None, None)
    assert message.get(MEANING) is None


def test_the_parse_data_carries_the_meaning_for_the_catalogue_search(featurizer):
    [message] = featurizer.process([Message(data={TEXT: "ik heb schulden"})])
    assert MEANING in message.as_dict(only_output_properties=True)
    meaning = unpack(message.get(MEANING))
    assert np.allclose(meaning, embed_queries(["ik heb schulden"])[0], atol=1e-3)
    # Training examples get their features only.
    [example] = featurizer.process_training_data(
        TrainingData([Message(data={TEXT: "ik zoek werk", "intent": "find_help"})])
    ).training_examples
    assert example.get(MEANING) is None and example.get_dense_features(TEXT)[1] is not None


@pytest.mark.parametrize("same_need", [
    "je cherche du travail pour quand je sors",
    "I need a job when I get out",
    "çıkınca iş arıyorum",
    "szukam pracy po wyjsciu",
    "caut de lucru dupa eliberare",
    "أبحث عن عمل بعد خروجي من السجن",
])
def test_the_same_need_in_another_language_is_nearer_than_another_need(featurizer, same_need):
    job, same, children, lawyer = vectors(featurizer, [
        "ik zoek werk voor als ik vrijkom", same_need,
        "ik wil mijn kinderen terugzien", "ik heb een advocaat nodig"])

    def cosine(a, b):
        return a @ b / np.linalg.norm(a) / np.linalg.norm(b)

    assert cosine(job, same) > max(cosine(job, children), cosine(job, lawyer))
